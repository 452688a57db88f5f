import { useEffect, type RefObject } from 'react';

/**
 * Keeps a scroll container at its end when it gets shorter while the user was there: the composer grows
 * (attachment chips, a drop hint, more lines of text) and takes height from the message list above it, which
 * would otherwise leave the list scrolled up by that much, and the list would stop following new replies.
 */
export function useEndKeptOnResize(ref: RefObject<HTMLElement | null>, thresholdPx: number): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const distance = () => element.scrollHeight - element.scrollTop - element.clientHeight;
    let atEnd = distance() <= thresholdPx;
    let height = element.clientHeight;
    const onScroll = () => {
      atEnd = distance() <= thresholdPx;
    };
    const observer = new ResizeObserver(() => {
      const shrank = element.clientHeight < height;
      height = element.clientHeight;
      if (shrank && atEnd) element.scrollTop = element.scrollHeight;
    });
    element.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, [ref, thresholdPx]);
}
