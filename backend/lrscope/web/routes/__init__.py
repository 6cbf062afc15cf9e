"""One router per resource: catalog (health, schedulers), schedules, imports, jobs, job_stream."""
