"""Accounts: balances, totals, and one account's numbers and movements."""
