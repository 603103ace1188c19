"""The local web interface over the store (`newsprism serve`); see docs/WEB.md."""
