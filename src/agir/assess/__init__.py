"""Using a trained model: assessments with checked claims, score metrics, baselines and evaluation."""
