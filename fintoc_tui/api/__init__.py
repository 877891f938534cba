"""The Fintoc API service layer: client, models, JWS signing, errors. No Textual here."""
