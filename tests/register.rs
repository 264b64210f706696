//! Case register end to end (written below).
