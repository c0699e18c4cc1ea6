"""Meetings (议事会议): joint meetings and their agenda, attendance, minutes and decisions."""
