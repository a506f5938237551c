"""Hyperparameter studies on Optuna over any registered model: each trial a normal run in the run store.

space.py (what is searched), presets.py (ready spaces), config.py (SweepConfig, objectives, samplers, pruners),
storage.py (RDB URLs), study.py (create / resume / find), claims.py (the shared, exact trial budget),
sampling.py, pruning.py, trial.py (one trial as a run), worker.py (run trials here or in processes),
status.py, results.py (tables, best, carry-over), families.py (the same budget for several models).
Import the modules themselves: importing this package does not load Optuna."""
