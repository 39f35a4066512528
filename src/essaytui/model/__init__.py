"""The essay model: plain Python, never imports Textual."""
