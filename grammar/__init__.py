"""cloneshell package."""
