"""The state of one reading, in plain Python: where the reader has been, what they search
for, what they marked and where they stopped.

The reader screen owns one of each and routes the widgets' messages to them; each has
its own unit tests. Nothing here imports Textual (a test checks).
"""
