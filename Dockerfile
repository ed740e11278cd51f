# The application image: the web tier and every pool run from it with different commands.
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml ./
COPY config.py ./
COPY api ./api
COPY models ./models
COPY workers ./workers
COPY timers ./timers
COPY migrations ./migrations
COPY alembic.ini Procfile ./
RUN pip install --no-cache-dir . && useradd --uid 10000 --create-home rehearse
COPY frontend/out ./frontend/out
USER rehearse
EXPOSE 8000
CMD ["uvicorn", "--factory", "api.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--ws-max-size", "65536", "--proxy-headers", "--forwarded-allow-ips", "*"]
