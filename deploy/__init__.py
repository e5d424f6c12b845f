"""Serving Chỉ số with more than one process: nginx in front of N app replicas, snapshot publication,
a systemd unit template. A tool of the source checkout, not a product package (see README "Beyond one
machine")."""
