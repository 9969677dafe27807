"""网页界面 (pufa web)."""
