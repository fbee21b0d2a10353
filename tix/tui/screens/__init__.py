"""The box office's screens, one per task."""
