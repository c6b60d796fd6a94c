"""String modules for lib.i18n: each defines STRINGS = {key: {"en": ..., "zh": ...}}."""
