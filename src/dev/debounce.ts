/** Calls `fn` once, `ms` after the last of a burst of calls (an editor's save is often several writes). */
export function debounce<A>(ms: number, fn: (items: A[]) => void): { push(item: A): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let items: A[] = [];
  return {
    push(item) {
      items.push(item);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const batch = items;
        items = [];
        fn(batch);
      }, ms);
    },
    cancel() {
      clearTimeout(timer);
      items = [];
    },
  };
}
