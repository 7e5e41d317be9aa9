"""What keeps a build crash-safe, shared by the loader and the build: whose temporary files are
abandoned (leftovers), a full disk said in one line (disk_full), and the moments at which a test
can stop a build (pause_points)."""
