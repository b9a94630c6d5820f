"""What each command does, one module per group: plain typed arguments in, a value out.

As in pre-commit's commands/, a command here finds and reads the plan (planfile), asks the
domain (core), and returns an answer or the bytes of a file (output); the command line
only parses options and prints what comes back.
"""
