"""Environment: sandbox, test and live, their keys and JWS keys, and which one is in use."""
