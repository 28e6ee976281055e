# Production image: gunicorn, Celery worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 XINFANG_VAR_DIR=/srv/xinfang
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk libharfbuzz-subset0 nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
RUN pip install --no-cache-dir . && npm ci --no-audit --no-fund
COPY . .
RUN mkdir -p static/vendor/bootstrap \
 && cp -r node_modules/bootstrap/dist/css node_modules/bootstrap/dist/js static/vendor/bootstrap/ \
 && SECRET_KEY=build python manage.py collectstatic --noinput
RUN useradd --create-home xinfang && mkdir -p /srv/xinfang && chown xinfang /srv/xinfang
USER xinfang
EXPOSE 8000
