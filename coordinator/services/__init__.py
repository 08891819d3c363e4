"""Use cases: load, call the domain, commit, then publish. One transaction each."""
