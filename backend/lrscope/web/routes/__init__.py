"""One router per resource: catalog (health, schedulers), schedules, jobs, job_stream."""
