"""The detectors' names as the command line gives them; no import, so `haven spikes --help` stays quick."""

METHODS = ("ears-c1", "ears-c2", "ears-c3", "ewma", "regression", "switch", "farrington",
           "farrington-noufaily", "threshold")

# Upper limit for default_workers(): beyond a few processes the blocks are too few to share.
MAXIMUM_WORKERS = 4
