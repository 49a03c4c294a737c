/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  experimental: {
    serverActions: true,
    serverActionsBodySizeLimit: '2mb',
  },
};

export default nextConfig;
