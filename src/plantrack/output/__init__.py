"""Files for other programs and people: every format plantrack writes, as bytes."""
