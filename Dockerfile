# Salon: production image. Build stage bundles the islands; the runtime stage runs with only
# --allow-net --allow-env --allow-read as a non-root user, against DATABASE_URL.
FROM denoland/deno:2.9.6 AS build
WORKDIR /app
COPY deno.json deno.lock ./
RUN deno install --frozen
COPY . .
RUN deno task build && deno cache main.ts

FROM denoland/deno:2.9.6
WORKDIR /app
ENV APP_ENV=production PORT=8000 DENO_DIR=/deno-dir
COPY --from=build /deno-dir /deno-dir
COPY --from=build /app /app
RUN chown -R deno:deno /app /deno-dir
USER deno
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["deno", "eval", "const r = await fetch('http://127.0.0.1:8000/healthz'); if (!r.ok) Deno.exit(1)"]
CMD ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "main.ts"]
