# Styrmodell production image: gunicorn (web), Celery worker and Celery beat all run from it.
# Build: docker-compose build    Run: see docker-compose.yml
FROM python:3.11-slim

ARG UV_VERSION=0.13.9

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH=/opt/venv/bin:$PATH \
    STYRMODELL_VAR_DIR=/app/var

# WeasyPrint (the PDF reports) needs Pango and HarfBuzz from Debian, and a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# uv from PyPI; the dependencies exactly as locked, without the dev group (pytest, playwright, ruff).
RUN pip install "uv==${UV_VERSION}"

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

RUN groupadd --system --gid 10001 styrmodell \
 && useradd --system --uid 10001 --gid styrmodell --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin styrmodell

# The code stays owned by root (read-only to the app); only var/ is the app's to write:
# var/staticfiles is the static volume, var/beat the beat schedule volume.
COPY . .
RUN python -m compileall -q /app \
 && mkdir -p /app/var/staticfiles /app/var/beat \
 && chown -R styrmodell:styrmodell /app/var

USER styrmodell
EXPOSE 8000

CMD ["gunicorn", "styrmodell.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
