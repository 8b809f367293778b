"""Qt item models over core objects (the only place rows are adapted for views)."""
