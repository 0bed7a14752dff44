/** Pictures among the alerts' links (monitors attach graph snapshots), shown in the room. */
import type { Alert } from '../api/types.js';
import { safeUrl } from '../chat/mrkdwn.js';

export interface GraphImage {
  title: string;
  url: string;
}

/** http(s) links whose path is an image, once each, at most `limit`. */
export function graphImagesOf(alerts: Alert[], limit = 4): GraphImage[] {
  const seen = new Set<string>();
  const images: GraphImage[] = [];
  for (const alert of alerts) {
    for (const link of alert.links ?? []) {
      const url = safeUrl(String(link.url ?? ''));
      if (!url || seen.has(url) || !/\.(png|jpe?g|gif|webp)$/i.test(new URL(url).pathname)) continue;
      seen.add(url);
      images.push({ title: String(link.title || 'graph'), url });
      if (images.length >= limit) return images;
    }
  }
  return images;
}
