"""The closed label lists of the published NHS files, spelled exactly as published.

The synthetic data generator writes these spellings; the raw-file specs (raw_specs) accept them
after staging's whitespace normalisation (normalised_labels). The tests restate them on their
own, as an independent record of what the NHS publishes.
"""

from __future__ import annotations

from collections.abc import Iterable

APPOINTMENT_STATUSES = ("Attended", "DNA", "Unknown")
# "staff" is lower case in the published file although the metadata says "Other Practice Staff".
HCP_TYPES = ("GP", "Other Practice staff", "Unknown")
APPOINTMENT_MODES = ("Face-to-Face", "Home Visit", "Telephone", "Unknown", "Video/Online")
# The double spaces are in the published labels; the seeds spell them with single spaces.
LEAD_TIMES = (
    "Same Day",
    "1 Day",
    "2 to 7 Days",
    "8  to 14 Days",
    "15  to 21 Days",
    "22  to 28 Days",
    "More than 28 Days",
    "Unknown / Data Quality",
)
DURATION_BANDS = (
    "1-5 Minutes",
    "6-10 Minutes",
    "11-15 Minutes",
    "16-20 Minutes",
    "21-30 Minutes",
    "31-60 Minutes",
    "Unknown / Data Quality",
)
SERVICE_SETTINGS = (
    "General Practice",
    "Primary Care Network",
    "Extended Access Provision",
    "Other",
    "Unmapped",
)
CONTEXT_TYPES = ("Care Related Encounter", "Inconsistent Mapping", "Unmapped")
# The national categories of care-related encounters; the other two contexts are also
# categories of their own.
CARE_RELATED_CATEGORIES = (
    "Care Home Needs Assessment & Personalised Care and Support Planning",
    "Care Home Visit",
    "Clinical Triage",
    "General Consultation Acute",
    "General Consultation Routine",
    "Group Consultation and Group Education",
    "Home Visit",
    "Non-contractual chargeable work",
    "Patient contact during Care Home Round",
    "Planned Clinical Procedure",
    "Planned Clinics",
    "Service provided by organisation external to the practice",
    "Social Prescribing Service",
    "Structured Medication Review",
    "Unplanned Clinical Activity",
    "Walk-in",
)
NATIONAL_CATEGORIES = tuple(sorted((*CARE_RELATED_CATEGORIES, "Inconsistent Mapping", "Unmapped")))


def normalised_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """The labels as staging's normalise_label leaves them: trimmed, each run of white space
    collapsed to one space ("15  to 21 Days" -> "15 to 21 Days")."""
    return tuple(" ".join(label.split()) for label in labels)
