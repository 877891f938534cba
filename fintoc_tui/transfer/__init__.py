"""A transfer as a person describes it, checked once for every face of the app.

The transfer form, `fintoc-tui transfers create` and each row of a batch file
start from the same plain-text fields (a CLABE or a Chilean account, a RUT, an
amount as typed, …) and say the same words about them:

- `checks`: one field at a time, as it is typed (a note and a problem).
- `input_rules`: what a field lets in as it is typed or pasted, and why not.
- `draft`: the whole transfer: every problem in reading order, the validated
  `TransferRequest`, and the `TransferDraft` the confirm step restates.
- `restate`: the confirm step's lines, from the stored ints (never typed text).

No Textual here: the UI renders these with its own colours; the commands
print them as they are.
"""
