"""Owners' votes (业主共同决定) under 民法典 Art. 278: the electorate, ballots, the result."""
