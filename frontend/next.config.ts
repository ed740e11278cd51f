import type { NextConfig } from "next";

/**
 * A static export served by the Starlette app from the same origin: no Node
 * server at run time, so every route is a static page and dynamic data comes
 * from query parameters (`/interview/?id=…`).
 */
const nextConfig: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
