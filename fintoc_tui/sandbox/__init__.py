"""A local emulator of the Fintoc v2 API in test mode. Never imports the UI."""
