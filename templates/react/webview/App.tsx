import { useState } from 'react';
import { useCall, useConnection } from './hise';
import { Knob } from './Knob';
import { Meter } from './Meter';
import { Slider } from './Slider';

export function App() {
  const reset = useCall('reset');
  const connection = useConnection();
  const [status, setStatus] = useState('');
  return (
    <main>
      <h1>{{name}}</h1>
      <div className="controls">
        <Knob id="gain" />
        <Slider id="mix" />
      </div>
      <Meter />
      <p>
        <button id="reset" type="button" onClick={() => void reset().then(setStatus, (error: Error) => setStatus(error.message))}>
          Reset
        </button>
      </p>
      <p id="status" role="status">{status || (connection.status === 'open' ? '' : `${connection.status}…`)}</p>
    </main>
  );
}
