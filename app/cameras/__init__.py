"""The park's collective camera network: cameras, legal frame, footage requests, quality checks and evaluations."""
