export function ConfigProblem({ message }: { message: string }) {
  return (
    <main className="centered">
      <div className="card narrow" role="alert">
        <h1>Classroom can't start</h1>
        <p>{message}</p>
      </div>
    </main>
  );
}
