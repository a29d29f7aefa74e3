"""Reads only: the queue, one prospect, coaching. Plain dataclasses out, never a model row."""
