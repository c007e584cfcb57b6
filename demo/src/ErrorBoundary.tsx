import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Shown above the message, e.g. which part of the page failed. */
  title?: string;
  /** Called by "Try again"; the boundary re-renders its children afterwards. */
  onReset?: () => void;
  compact?: boolean;
}

interface State {
  error: Error | null;
}

/** Never a blank page: a render error shows up inline with a way back. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('tollgate playground:', error, info.componentStack);
  }

  private reset = () => {
    this.props.onReset?.();
    this.setState({ error: null });
  };

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className={this.props.compact ? 'inline-error' : 'crash'} role="alert" data-testid="error">
        <strong>{this.props.title ?? 'Something went wrong'}</strong>
        <p>{error.message}</p>
        <button type="button" className="btn" onClick={this.reset}>
          Try again
        </button>
      </div>
    );
  }
}
