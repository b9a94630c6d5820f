"""Reminders sent where offices read them: group robots and e-mail."""
