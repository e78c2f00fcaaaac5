import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// The web app lives in src/web and is served by the Kedang server from dist/web.
// In development `npm run dev:web` proxies the API to a server on port 3000.
export default defineConfig({
  root,
  plugins: [react()],
  server: {
    proxy: {
      '/api': {
        target: 'http://127.0.0.1:3000',
        // src/web/api/*.ts are modules of the app itself, not API calls.
        bypass: (req) => (/^\/api\/[^?]*\.[cm]?[jt]sx?(\?|$)/.test(req.url ?? '') ? req.url : undefined),
      },
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
              priority: 30,
            },
            { name: 'icons', test: /node_modules[\\/]@ant-design[\\/]icons/, priority: 25 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design)[\\/]/, priority: 20 },
            { name: 'rc', test: /node_modules[\\/](@rc-component|rc-[^\\/]+|dayjs)[\\/]/, priority: 22 },
            // Only the statistics page draws charts: ECharts loads with it, not with every page.
            {
              name: 'echarts',
              test: /node_modules[\\/](echarts|echarts-for-react|zrender|size-sensor|tslib)[\\/]/,
              priority: 26,
            },
            { name: 'vendor', test: /node_modules/, priority: 10 },
          ],
        },
      },
    },
  },
});
