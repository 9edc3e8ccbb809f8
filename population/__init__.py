"""The foundation for people and places: areas, population figures, demographics and pure statistics.

Every feature app (events, panels, recruitment, formats, consultations) stands on this one; it imports
none of them. Modules without Django imports (statistics) can be used from scripts and benchmarks.
"""
