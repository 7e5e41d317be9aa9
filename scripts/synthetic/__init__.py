"""The SYNTHETIC raw files: the embedded sample and full-size stand-ins, written in exactly the
published layouts and labelled synthetic (generate is the entry point)."""
