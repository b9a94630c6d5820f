"""The plan file: bytes to model and back, every problem at line:col, the safe writer, the splicer."""
