/** Console preview bundle (placeholder until the LWC bundling lands). */
export async function buildPreview(): Promise<Record<string, { contentType: string; body: string }>> {
  return { '/preview/': { contentType: 'text/html; charset=utf-8', body: '<p>Console preview: coming soon</p>' } };
}
