"""What the tests share: servers (in a thread, in a subprocess), job specs, run specs."""
