import { useEffect, useRef, type CSSProperties } from 'react';
import { attachDrag } from 'hise-webview/client';
import { useParameter } from './hise';

/** A knob for a parameter: drag, wheel, keys; accessible as a slider (attachDrag does the work). */
export function Knob({ id }: { id: 'gain' }) {
  const parameter = useParameter(id);
  const knob = useRef<HTMLDivElement>(null);
  useEffect(() => (parameter.parameter === undefined ? undefined : attachDrag(knob.current!, parameter.parameter)), [parameter.parameter]);
  return (
    <div className="control">
      <div ref={knob} id={`${id}-knob`} className="knob" style={{ '--turn': parameter.normalized } as CSSProperties} />
      <div id={`${id}-value`} className="value" aria-hidden="true">
        {parameter.text}
      </div>
    </div>
  );
}
