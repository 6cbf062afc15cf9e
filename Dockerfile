# lrscope: the web app on a slim Python with the CPU build of torch.
#   docker build -t lrscope .
#   docker run --rm -p 8000:8000 -v lrscope-data:/data lrscope
# With training jobs on Ray (the image then also serves as a Ray head or worker node;
# compose.yaml runs all three):
#   docker build --build-arg EXTRAS=ray -t lrscope:ray .
FROM python:3.11-slim

# The CPU wheel index keeps the image small (the default torch wheel on Linux bundles CUDA).
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
# Optional extras of the package, comma-separated: "ray" (jobs on a Ray cluster).
ARG EXTRAS=""

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LRSCOPE_DATA_DIR=/data \
    LRSCOPE_HOST=0.0.0.0 \
    LRSCOPE_PORT=8000

RUN pip install "torch==${TORCH_VERSION}" --index-url "${TORCH_INDEX}"

WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend ./backend
# Not editable: the page is package data, so the installed package serves it alone.
RUN pip install ".${EXTRAS:+[${EXTRAS}]}" \
    && useradd --create-home --uid 10001 lrscope \
    && mkdir -p /data && chown lrscope /data

USER lrscope
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health')"
CMD ["lrscope", "serve", "--host", "0.0.0.0"]
