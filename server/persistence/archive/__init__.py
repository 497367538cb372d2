"""The competition archive: one ZIP that rebuilds a competition elsewhere, written and read back."""
