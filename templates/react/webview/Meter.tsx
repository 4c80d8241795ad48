import { useRef } from 'react';
import { useStream } from './hise';

/**
 * The level meter: frames go straight to the canvas (useStream never re-renders). `data-renders`
 * counts this component's renders and `data-frames` the frames drawn, for the test.
 */
export function Meter() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const renders = useRef(0);
  renders.current++;
  useStream('level', (levels) => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    context.clearRect(0, 0, element.width, element.height);
    const width = element.width / levels.length;
    context.fillStyle = '#4fc38a';
    levels.forEach((level, i) => {
      const height = Math.min(1, level) * element.height;
      context.fillRect(i * width + 1, element.height - height, width - 2, height);
    });
    element.dataset.frames = String(Number(element.dataset.frames ?? 0) + 1);
  });
  return <canvas ref={canvas} id="meter" width={480} height={60} role="img" aria-label="Output level" data-renders={renders.current} />;
}
