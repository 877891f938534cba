"""What several features share: the header, the state message, table cells, dialog basics."""
