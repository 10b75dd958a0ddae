/** Bucket names the integration engines create. */
export const TEST_BUCKETS = { uploads: 'test-uploads', images: 'test-images' } as const;
