import { render } from 'preact';
import './page.css';

render(<p>multi-context</p>, document.body);
