"""Makes the project root importable (``import lib``, ``import ui``) for pytest."""
